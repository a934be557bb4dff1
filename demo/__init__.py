"""Development only: `seed_demo`, the synthetic-data generators and the reporting
benchmark. Installed by the dev, test and bench settings, never by production (it needs
faker and psutil, which requirements.lock, what the image installs, does not carry)."""
