# Kyozo itself. Run with the Docker socket mounted (bridge mode: it joins each app's network itself):
#   docker run -d --name kyozo -p 3000:3000 -p 8080:8080 -v /var/run/docker.sock:/var/run/docker.sock \
#     -v kyozo-data:/var/lib/kyozo kyozo:local
# The base image is a build arg; on a machine that cannot pull, build from the local stand-in:
#   bash scripts/build-kyozo-image.sh   (stand-in base + the host's CA bundle)
ARG BASE_IMAGE=node:20-bookworm-slim
FROM ${BASE_IMAGE}
# git is required (bare repositories, hooks, git archive). The stand-in already carries it.
RUN command -v git >/dev/null 2>&1 || (apt-get update && apt-get install -y --no-install-recommends git ca-certificates && rm -rf /var/lib/apt/lists/*)
# As root, Kyozo's embedded Postgres runs as a "postgres" system user: create it at build time (Debian's
# useradd, or plain passwd/group lines where the base image has no useradd, like the local stand-in).
RUN id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /bin/false postgres 2>/dev/null || \
    (echo 'postgres:x:999:999:postgres:/nonexistent:/bin/false' >> /etc/passwd && echo 'postgres:x:999:' >> /etc/group)
WORKDIR /opt/kyozo
# .build-ca.crt is optional (scripts/build-kyozo-image.sh adds the host's CA bundle for TLS-intercepting proxies).
COPY package.json package-lock.json .build-ca.cr[t] ./
RUN if [ -f .build-ca.crt ]; then export NPM_CONFIG_CAFILE=/opt/kyozo/.build-ca.crt; fi; \
    npm ci --omit=dev --no-audit --no-fund && rm -f .build-ca.crt
COPY bin ./bin
COPY server ./server
COPY views ./views
COPY migrations ./migrations
COPY scripts ./scripts
ENV KYOZO_DATA_DIR=/var/lib/kyozo \
    NODE_ENV=production
VOLUME ["/var/lib/kyozo"]
EXPOSE 3000 8080
CMD ["node", "bin/kyozo.js", "serve"]
