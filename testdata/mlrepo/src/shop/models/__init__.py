from .net import DemandNet

__all__ = ["DemandNet"]
