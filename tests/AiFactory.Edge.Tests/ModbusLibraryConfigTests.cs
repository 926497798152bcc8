using AiFactory.Edge.Config;
using AiFactory.Testing;

namespace AiFactory.Edge.Tests;

/// <summary>Where libmodbus is missing (Windows, Linux without libmodbus5), the configuration names it at every Modbus bus.</summary>
[Trait("Category", "Unit")]
public sealed class ModbusLibraryConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aifactory-modbus-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Read_LibModbusMissing_NamesEveryModbusSourceAndOutput()
    {
        var file = Path.Combine(_dir, "line.yaml");
        File.WriteAllText(file, $"""
            sources:
              - name: sim
                type: simulator
                kind: pump
                station: pump-1
              - name: plc-tcp
                type: modbus
                host: 127.0.0.1
                groups: [{"{"}interval_ms: 1000, points: [{"{"}tag: a, address: 0{"}"}]{"}"}]
              - name: rs485
                type: modbus
                device: /dev/ttyUSB1
                groups: [{"{"}interval_ms: 1000, points: [{"{"}tag: b, address: 0{"}"}]{"}"}]
            outputs:
              modbus:
                host: 127.0.0.1
                registers: {"{"}pump-1: 10{"}"}
            stations:
              - name: pump-1
                model: {RepoPaths.Model("pump-vibration-flow")}
                tags:
                  Accelerometer1RMS: pump-1/Accelerometer1RMS
                  Accelerometer2RMS: pump-1/Accelerometer2RMS
                  Volume Flow RateRMS: pump-1/Volume Flow RateRMS
            """);

        var error = Assert.Throws<EdgeConfigException>(() => EdgeConfigReader.Read(file, ["libmodbus-missing.so.5"]));

        const string Missing = "Modbus needs libmodbus and it is not installed here (looked for libmodbus-missing.so.5) (hint: Debian/Ubuntu: apt install libmodbus5)";
        Assert.Equal(
            [$"{file}:6:5: sources[1]: {Missing}", $"{file}:10:5: sources[2]: {Missing}", $"{file}:16:5: outputs.modbus: {Missing}"],
            error.Problems);
    }

    [Fact]
    public void Read_LibModbusFoundUnderASecondName_IsNotAProblem()
    {
        var file = Path.Combine(_dir, "line.yaml");
        File.WriteAllText(file, """
            sources:
              - name: plc-tcp
                type: modbus
                host: 127.0.0.1
                groups: [{interval_ms: 1000, points: [{tag: a, address: 0}]}]
            """);

        var config = EdgeConfigReader.Read(file, ["libmodbus-missing.so.5", "libc.so.6"]);

        Assert.Equal("plc-tcp", Assert.Single(config.Sources).Name);
    }
}
