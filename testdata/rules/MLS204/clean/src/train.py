"""Trains with the optimiser settings of params.yaml."""
import argparse

from omegaconf import OmegaConf


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    cfg = OmegaConf.load("params.yaml")
    lr = cfg.optim.lr
    momentum = cfg.optim.momentum
    for epoch in range(cfg.train.epochs):
        print(epoch, lr, momentum, args.seed)


if __name__ == "__main__":
    main()
