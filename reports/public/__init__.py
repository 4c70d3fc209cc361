"""The public rankings pages: no login, published results only."""
