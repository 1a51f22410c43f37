"""A bare Flask "hello" page: the yardstick for bench/card_throughput.py."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "hello"
