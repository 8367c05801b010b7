# Tandem: a thin wrapper over the same setup script CI runs (scripts/setup.sh), so the image stays true
# to what is tested. Build: docker build -t tandem .   Run: see README ("Docker").

# --- build: dependencies, the mediasoup worker (built from its npm sources), the browser bundle --------
FROM node:24-bookworm AS build
WORKDIR /app
ENV TANDEM_CACHE_DIR=/var/cache/tandem
COPY . .
# setup.sh installs the worker's Debian build packages itself (we are root here), builds and caches it.
RUN bash scripts/setup.sh \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf .tools client/node_modules/.vite

# --- runtime ------------------------------------------------------------------------------------------
FROM node:24-bookworm-slim AS runtime
COPY scripts/mediasoup/runtime-packages.txt /tmp/runtime-packages.txt
# ffmpeg records classes (scripts/packages/runtime.txt).
COPY scripts/packages/runtime.txt /tmp/server-packages.txt
RUN apt-get update \
 && apt-get install -y --no-install-recommends $(grep -hv '^\s*#' /tmp/runtime-packages.txt /tmp/server-packages.txt) \
 && rm -rf /var/lib/apt/lists/* /tmp/runtime-packages.txt /tmp/server-packages.txt \
 && useradd --system --create-home --uid 10001 tandem \
 && mkdir -p /data /recordings && chown tandem:tandem /data /recordings
WORKDIR /app
COPY --from=build --chown=root:root /app /app
USER tandem
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data \
    RECORDINGS_DIR=/recordings \
    RTC_PORT=40000
VOLUME ["/data", "/recordings"]
# Media: worker i uses RTC_PORT + i (UDP and TCP); publish as many ports as MEDIA_WORKERS.
EXPOSE 8080 40000-40001/udp 40000-40001/tcp
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
STOPSIGNAL SIGTERM
CMD ["node", "server/build/main.mjs"]
