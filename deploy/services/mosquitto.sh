# MQTT tests: libmosquitto for the source, and the mosquitto broker and clients. The test fixture
# (tests/AiFactory.Testing/MosquittoBroker.cs) starts its own broker on a free 127.0.0.1 port per test
# class, so a test can stop and restart it mid-run.
APT_PACKAGES+=(libmosquitto1 mosquitto mosquitto-clients)
