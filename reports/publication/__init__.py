"""Publication decisions: which units a decision covers (scope), the frozen snapshot and its diff, the pages."""
