# Dabyl bot image: docker build -t dabyl . && docker run --env-file .env -v dabyl-data:/data dabyl
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATABASE_PATH=/data/dabyl.sqlite3 \
    MPLCONFIGDIR=/tmp/matplotlib

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
# The fake Telegram that `dabyl practice` runs; the real bot imports its command line too.
COPY fakebotapi ./fakebotapi
RUN pip install --no-cache-dir . \
    && useradd --create-home --uid 10001 --user-group dabyl \
    && mkdir -p /data \
    && chown 10001:10001 /data

USER 10001:10001
VOLUME ["/data"]
CMD ["python", "-m", "bot"]
