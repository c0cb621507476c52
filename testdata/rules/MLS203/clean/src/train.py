"""Trains the network."""
import hydra
from hydra.utils import instantiate


@hydra.main(config_path="../conf", config_name="config", version_base=None)
def main(cfg):
    model = instantiate(cfg.model)
    for epoch in range(cfg.train.epochs):
        print(epoch, cfg.train.lr, cfg.seed, model)
    print(cfg.train.warmup_steps)


if __name__ == "__main__":
    main()
