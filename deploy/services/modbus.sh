# Modbus tests: libmodbus for the poller, and Debian's pymodbus (its serial server needs python3-serial-asyncio, only recommended) as an independent Modbus TCP server that the
# fixture (tests/AiFactory.Testing/PymodbusServer.cs, peers/modbus_server.py) starts on a free 127.0.0.1 port.
APT_PACKAGES+=(libmodbus5 python3-pymodbus python3-serial-asyncio)
