# Models arrive with the appraisal issue; the app is wired in now so that its migrations start clean.
