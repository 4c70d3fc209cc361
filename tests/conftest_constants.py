PASSWORD = "mat-khau-thu-nghiem-2026"
