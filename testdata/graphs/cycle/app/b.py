from .c import helper

import app.c
