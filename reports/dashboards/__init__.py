"""The dashboards: a year's results as chart data (selectors) and the page (views)."""
