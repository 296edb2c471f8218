"""Tongchou (统筹): coordinating epidemic control with economic recovery."""

__version__ = "0.1.0"
