import helpers
from app.main import main

main(helpers)
