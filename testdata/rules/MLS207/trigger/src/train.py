"""Trains the model (run by the `train` stage)."""
import joblib

from src.data import load_features

if __name__ == "__main__":
    features = load_features()
    joblib.dump(features.mean(), "models/model.pkl")
