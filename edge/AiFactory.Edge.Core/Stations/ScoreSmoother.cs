using AiFactory.Edge.Core.Models;

namespace AiFactory.Edge.Core.Stations;

/// <summary>Causal smoothing of raw scores: none, a rolling mean of the last K (fewer at the start), or an EMA seeded with the first score.</summary>
public sealed class ScoreSmoother
{
    private readonly string _kind;
    private readonly double[] _recent;
    private readonly double _alpha;
    private long _count;
    private double _sum;
    private double _ema;

    public ScoreSmoother(CardPostprocess? card)
    {
        card ??= new CardPostprocess();
        _kind = card.Smoothing;
        _recent = new double[Math.Max(1, card.Window)];
        _alpha = card.Alpha;
    }

    public double Next(double raw)
    {
        switch (_kind)
        {
            case "rolling_mean":
                var slot = (int)(_count % _recent.Length);
                if (_count >= _recent.Length)
                {
                    _sum -= _recent[slot];
                }

                _recent[slot] = raw;
                _sum += raw;
                _count++;
                return _sum / Math.Min(_count, _recent.Length);
            case "ema":
                _ema = _count == 0 ? raw : (_alpha * raw) + ((1.0 - _alpha) * _ema);
                _count++;
                return _ema;
            default:
                _count++;
                return raw;
        }
    }
}
