"""Survey points: what the survey gives each unit on each survey item, and the page that shows them."""
