"""A unit's analysis report of one year: built (selectors, data), rendered (render), shown (views)."""
