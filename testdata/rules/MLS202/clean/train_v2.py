"""The second training script: a script, not a leftover."""
from models.resnet import ResNet


def main():
    print(ResNet())


if __name__ == "__main__":
    main()
