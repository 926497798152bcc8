# Modbus tests: libmodbus for the poller, and Debian's pymodbus as an independent Modbus TCP server that the
# fixture (tests/AiFactory.Testing/PymodbusServer.cs, peers/modbus_server.py) starts on a free 127.0.0.1 port,
# and as an RTU slave on a socat pty pair (PymodbusRtuSlave.cs; its serial server needs pyserial-asyncio,
# which python3-pymodbus only recommends).
APT_PACKAGES+=(libmodbus5 python3-pymodbus python3-serial python3-serial-asyncio)
