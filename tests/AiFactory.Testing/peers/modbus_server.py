#!/usr/bin/python3
"""An independent Modbus TCP server for the edge's tests (Debian's python3-pymodbus), slave id 1, on 127.0.0.1.

Holding registers (0-based): 0-1 = 0x4148 0x0000 (float32 12.5, high word first), 2 = 0xFFFE (int16 -2),
3-4 = 0x1234 0x5678 (uint32 0x12345678), 5 = 0x3412 (0x1234 with bytes swapped); registers 0..99 exist,
so address 200 answers an Illegal Data Address exception. Input register 0 = 7. Coil 0 = 1.
Any other slave id gets no answer (a timeout for the client).
Usage: modbus_server.py PORT
"""
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartTcpServer

port = int(sys.argv[1])
holding = [0x4148, 0x0000, 0xFFFE, 0x1234, 0x5678, 0x3412] + [0] * 94
store = ModbusSlaveContext(
    hr=ModbusSequentialDataBlock(0, holding),
    ir=ModbusSequentialDataBlock(0, [7] + [0] * 99),
    co=ModbusSequentialDataBlock(0, [1] + [0] * 99),
    di=ModbusSequentialDataBlock(0, [0] * 100),
    zero_mode=True,
)
StartTcpServer(context=ModbusServerContext(slaves={1: store}, single=False), address=("127.0.0.1", port))
