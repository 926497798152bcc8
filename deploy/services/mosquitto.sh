# MQTT tests: the mosquitto broker and clients (the agent's client is MQTTnet, from NuGet), and openssl for the TLS
# tests' certificates. The test fixture (tests/AiFactory.Testing/MosquittoBroker.cs) starts its own broker on a free
# 127.0.0.1 port per test class, so a test can stop and restart it mid-run.
APT_PACKAGES+=(mosquitto mosquitto-clients openssl)
