#!/usr/bin/python3
"""An independent Modbus server for the edge's tests (Debian's python3-pymodbus): TCP on 127.0.0.1 with slave id 1,
or RTU on a serial device (a socat pty) with slave ids 1 and 2 on the one bus (19200 8N1: pyserial cannot set
parity on a pty).

Holding registers (0-based): 0-1 = 0x4148 0x0000 (float32 12.5, high word first), 2 = 0xFFFE (int16 -2),
3-4 = 0x1234 0x5678 (uint32 0x12345678), 5 = 0x3412 (0x1234 with bytes swapped); registers 0..99 exist,
so address 200 answers an Illegal Data Address exception. Input register 0 = 7. Coil 0 = 1.
RTU slave 2: holding register 0 = 42, input register 0 = 4242.
Any other slave id gets no answer (a timeout for the client).
Usage: modbus_server.py PORT | modbus_server.py --rtu DEVICE
Exits 98 when PORT is taken.
"""
import asyncio
import errno
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartAsyncTcpServer, StartSerialServer
from pymodbus.transaction import ModbusRtuFramer

holding = [0x4148, 0x0000, 0xFFFE, 0x1234, 0x5678, 0x3412] + [0] * 94
store = ModbusSlaveContext(
    hr=ModbusSequentialDataBlock(0, holding),
    ir=ModbusSequentialDataBlock(0, [7] + [0] * 99),
    co=ModbusSequentialDataBlock(0, [1] + [0] * 99),
    di=ModbusSequentialDataBlock(0, [0] * 100),
    zero_mode=True,
)
if sys.argv[1] == "--rtu":
    second = ModbusSlaveContext(
        hr=ModbusSequentialDataBlock(0, [42] + [0] * 99),
        ir=ModbusSequentialDataBlock(0, [4242] + [0] * 99),
        co=ModbusSequentialDataBlock(0, [0] * 100),
        di=ModbusSequentialDataBlock(0, [0] * 100),
        zero_mode=True,
    )
    StartSerialServer(
        context=ModbusServerContext(slaves={1: store, 2: second}, single=False),
        framer=ModbusRtuFramer, port=sys.argv[2], baudrate=19200, parity="N", stopbits=1, bytesize=8, timeout=0.05)
else:
    # pymodbus's StartTcpServer runs the listener in a task nobody awaits: a port already taken only logs nothing and
    # the process waits for ever. Awaited here, a failed bind exits 98 and says so.
    async def serve(port):
        server = await StartAsyncTcpServer(
            context=ModbusServerContext(slaves={1: store}, single=False), address=("127.0.0.1", port), defer_start=True)
        await server.serve_forever()

    try:
        asyncio.run(serve(int(sys.argv[1])))
    except OSError as error:
        print(f"modbus_server.py: cannot listen on 127.0.0.1:{sys.argv[1]}: {error}", file=sys.stderr, flush=True)
        sys.exit(98 if error.errno == errno.EADDRINUSE else 1)
