from app.f import F
