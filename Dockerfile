# The k8sdoc image for the in-cluster CronJob (deploy/cronjob.yaml): Node.js 20 slim and
# the single-file build, nothing else from npm, running as a non-root user.
#   docker build --build-arg K8SDOC_COMMIT=$(git rev-parse HEAD) -t registry.example.com/k8sdoc:0.1.0 .
FROM node:20-slim AS build
# The build context has no .git: scripts/build.mjs reads the commit from this (as an env var).
ARG K8SDOC_COMMIT=unknown
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/ scripts/
COPY src/ src/
RUN node scripts/build.mjs

FROM node:20-slim
LABEL org.opencontainers.image.title="k8sdoc" \
      org.opencontainers.image.description="A doctor for Kubernetes clusters: etcd quorum, certificates, nodes, kubelets and ports" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=build /src/dist/k8sdoc-standalone.mjs /opt/k8sdoc/k8sdoc.mjs
# The licences travel with the bundled code.
COPY LICENSE /opt/k8sdoc/LICENSE
COPY --from=build /src/dist/THIRD-PARTY-NOTICES.txt /opt/k8sdoc/THIRD-PARTY-NOTICES.txt
# Numeric, so that Kubernetes' runAsNonRoot can verify it (the image's `node` user).
USER 1000:1000
ENTRYPOINT ["node", "/opt/k8sdoc/k8sdoc.mjs"]
CMD ["check"]
