"""Compares the old and the new network."""
from models.Legacy_Head import Head
from models.resnet import ResNet
from models.resnet_old import ResNet as OldResNet

print(ResNet(), OldResNet(), Head())
