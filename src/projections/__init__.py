"""Read models: one module per view, with the SQL it owns."""
