"""The home page: for each role the user holds, what is waiting and the next step."""
