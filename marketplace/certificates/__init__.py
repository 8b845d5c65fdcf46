"""Certificates: candidates add them, staff verify them, anyone checks them by code."""
