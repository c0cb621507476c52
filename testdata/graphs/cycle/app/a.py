from app import b
