# syntax=docker/dockerfile:1
# The Switchboard image: one jar that runs any roles (SB_ROLES), alone or clustered. From the repository root:
#   docker build -t switchboard:0.1.0 .
# Kubernetes runs it as in k8s/ (README.md "Deploying on Kubernetes").
# Alone, it needs a key: docker run -e SB_JWT_SECRET="$(openssl rand -base64 48)" -p 8080:8080 IMAGE. Without one the
# node runs in dev mode, minting tokens for whoever asks, so it listens on the container's 127.0.0.1 only (its log
# says so) and -p cannot reach it.

# Debian trixie: Maven, a JDK (21, compiling for release 17) and Node.js 20 with npm, which the jar's build needs to
# bundle the shared-document example's npm packages with esbuild (the JavaScript client's sources are copied into
# the jar as they are). The Maven repository is a build cache, not a layer.
FROM debian:trixie-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends maven openjdk-21-jdk-headless nodejs npm ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)'
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package -pl server -am

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 switchboard \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin switchboard \
 && mkdir /data && chown 10001:10001 /data
COPY --from=build /src/server/target/switchboard.jar /app/switchboard.jar
WORKDIR /app
# A single node's embedded event store (docker run -v ...:/data); a node with SB_PG_URL never writes it.
ENV SB_DATA_DIR=/data
# Memory from the container's limit, a restart rather than a half-dead JVM, and G1 even on small pods (the JVM would
# pick Serial below 2 CPUs or 1792 MB). A Deployment may set its own JAVA_TOOL_OPTIONS.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:+UseG1GC"
# Class data sharing (README, Starting faster): a training start, stopped as soon as it is ready, writes the classes
# a start loads to an archive that every real start maps (about 0.4x the time to ready, 0.55x its CPU, on 2 cores).
# Same JDK, jar and module flags as the ENTRYPOINT, or the JVM ignores the archive and starts as before.
RUN SB_DATA_DIR=/tmp/cds-training SB_JWT_SECRET=class-data-sharing-training-run-only SB_HTTP_HOST=127.0.0.1 \
    java --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED \
      --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
      --add-opens java.management/sun.management=ALL-UNNAMED \
      --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED \
      -XX:ArchiveClassesAtExit=/app/switchboard.jsa -jar /app/switchboard.jar --exit-when-ready \
 && rm -rf /tmp/cds-training
USER 10001:10001
# HTTP (SB_HTTP_PORT), Hazelcast (SB_CLUSTER_PORT), clustered event bus (SB_EVENTBUS_PORT as k8s/ sets it).
EXPOSE 8080 5701 7701
# What Hazelcast needs on Java 17.
ENTRYPOINT ["java", \
  "--add-modules", "java.se", \
  "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", \
  "--add-opens", "java.base/java.lang=ALL-UNNAMED", \
  "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", \
  "--add-opens", "java.management/sun.management=ALL-UNNAMED", \
  "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED", \
  "-XX:SharedArchiveFile=/app/switchboard.jsa", \
  "-jar", "/app/switchboard.jar"]
