# One image for the web app and the scheduler (docker-compose.yml runs it twice).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 GRAPHSVC_DATA_DIR=/data
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
RUN pip install --no-cache-dir .
RUN useradd --system --home /data graphsvc && mkdir -p /data && chown graphsvc /data
USER graphsvc
VOLUME ["/data"]
EXPOSE 8000
CMD ["graphsvc", "serve", "--host", "0.0.0.0", "--port", "8000"]
