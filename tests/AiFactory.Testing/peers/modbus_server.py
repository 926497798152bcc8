#!/usr/bin/python3
"""An independent Modbus TCP server for the edge's tests (Debian's python3-pymodbus), slave id 1, on 127.0.0.1.

Holding registers (0-based): 0-1 = 0x4148 0x0000 (float32 12.5, high word first), 2 = 0xFFFE (int16 -2),
3-4 = 0x1234 0x5678 (uint32 0x12345678), 5 = 0x3412 (0x1234 with bytes swapped); registers 0..99 exist,
so address 200 answers an Illegal Data Address exception. Input register 0 = 7. Coil 0 = 1.
Any other slave id gets no answer (a timeout for the client).

With --rtu DEVICE it is instead an RTU slave on a serial port (19200 baud, 8 data bits) answering for two slave ids on
one bus (parity N on its end: Linux ptys refuse PARENB and carry no parity bits anyway): slave 1 as above, and slave 2 whose holding registers 0..9 exist with register 0 = 4321 (address 50
answers Illegal Data Address). It prints "ready" once the port is open.
Usage: modbus_server.py PORT | modbus_server.py --rtu DEVICE
"""
import asyncio
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.framer.rtu_framer import ModbusRtuFramer
from pymodbus.server import StartAsyncSerialServer, StartTcpServer

holding = [0x4148, 0x0000, 0xFFFE, 0x1234, 0x5678, 0x3412] + [0] * 94
store = ModbusSlaveContext(
    hr=ModbusSequentialDataBlock(0, holding),
    ir=ModbusSequentialDataBlock(0, [7] + [0] * 99),
    co=ModbusSequentialDataBlock(0, [1] + [0] * 99),
    di=ModbusSequentialDataBlock(0, [0] * 100),
    zero_mode=True,
)


async def serve_rtu(device):
    second = ModbusSlaveContext(
        hr=ModbusSequentialDataBlock(0, [4321] + [0] * 9),
        ir=ModbusSequentialDataBlock(0, [0] * 10),
        co=ModbusSequentialDataBlock(0, [0] * 10),
        di=ModbusSequentialDataBlock(0, [0] * 10),
        zero_mode=True,
    )
    server = await StartAsyncSerialServer(
        context=ModbusServerContext(slaves={1: store, 2: second}, single=False),
        framer=ModbusRtuFramer, port=device, baudrate=19200, bytesize=8, parity="N", stopbits=1, defer_start=True)
    await server.start()
    if server.transport is None:
        sys.exit(f"cannot open {device}")
    print("ready", flush=True)
    await server.serve_forever()


if sys.argv[1] == "--rtu":
    asyncio.run(serve_rtu(sys.argv[2]))
else:
    StartTcpServer(context=ModbusServerContext(slaves={1: store}, single=False), address=("127.0.0.1", int(sys.argv[1])))
