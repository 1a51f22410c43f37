"""Blueprints: one per area. Views parse the request, call the domain, render."""
