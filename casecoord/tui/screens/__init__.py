"""Full screens of the app: unlock, create vault, dashboard, case list, case detail, help."""
