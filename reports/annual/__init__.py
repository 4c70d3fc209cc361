"""The annual results report of a period: built (selectors, data), rendered (render), shown (views)."""
