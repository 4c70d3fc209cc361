# Models arrive with the surveys issue; the app is wired in now so that its migrations start clean.
