"""The Lai Châu demo for `make run`: its data, loaders and CSV files, loaded through the services (load.demo_load)."""
