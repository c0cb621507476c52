"""Step 4: score with the trained model."""
import joblib

model = joblib.load("models/model.pkl")
print(model)
