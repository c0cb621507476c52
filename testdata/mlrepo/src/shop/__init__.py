"""Demand forecasting for the shop."""
