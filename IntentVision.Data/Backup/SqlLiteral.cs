using System.Globalization;
using System.Numerics;
using System.Text;

namespace IntentVision.Data.Backup;

/// <summary>
/// Writes a stored value as a SQL literal that reads back as exactly the same value and storage class, on SQLite and
/// on sqld alike: integers in full (beyond 2^53 too), text with quotes doubled, blobs as <c>X'..'</c>, and floats
/// bit for bit. SQLite's own decimal parser is not correctly rounded (3.45, as in sqld, misreads about 1 in 3,000
/// random doubles written with 17 digits), so a float goes out as a plain decimal only when that decimal is the
/// double's exact value and short enough to be parsed exactly; every other float is written as an exact product of
/// its 53-bit significand and powers of two, which SQLite evaluates without rounding.
/// </summary>
internal static class SqlLiteral
{
    private const long TwoTo62 = 1L << 62;

    public static string Format(object? value) => value switch
    {
        null or DBNull => "NULL",
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        double d => FormatReal(d),
        string s => FormatText(s),
        byte[] b => "X'" + Convert.ToHexString(b) + "'",
        _ => throw new NotSupportedException($"A value of type {value.GetType().Name} cannot be written as a SQLite literal."),
    };

    public static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string FormatText(string text)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            // A NUL cannot sit inside a SQL string literal; the UTF-8 bytes cast to TEXT are the same value.
            return "CAST(X'" + Convert.ToHexString(Encoding.UTF8.GetBytes(text)) + "' AS TEXT)";
        }

        return "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    public static string FormatReal(double value)
    {
        if (double.IsNaN(value))
        {
            // SQLite stores NaN as NULL; a dump can only say what the database holds.
            return "NULL";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "9e999" : "-9e999";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }

        var bits = BitConverter.DoubleToInt64Bits(value);
        var negative = bits < 0;
        var exponentBits = (int)((bits >> 52) & 0x7FF);
        var fraction = bits & 0xFFFFFFFFFFFFFL;
        long significand;
        int exponent;
        if (exponentBits == 0)
        {
            significand = fraction;
            exponent = -1074;
        }
        else
        {
            significand = fraction | (1L << 52);
            exponent = exponentBits - 1075;
        }

        var trailing = BitOperations.TrailingZeroCount(significand);
        significand >>= trailing;
        exponent += trailing;
        var sign = negative ? "-" : string.Empty;

        // value = significand * 2^exponent, significand odd and below 2^53.
        if (exponent >= 0 && exponent <= 52 - BitOperations.Log2((ulong)significand))
        {
            return sign + (significand << exponent).ToString(CultureInfo.InvariantCulture) + ".0";
        }

        if (exponent < 0 && -exponent <= 22)
        {
            // significand * 2^-k = significand * 5^k / 10^k: exact as a decimal with k fractional digits. With at
            // most 18 significant digits SQLite reads the digits exactly and divides once by an exact power of ten.
            var k = -exponent;
            var digits = (new BigInteger(significand) * BigInteger.Pow(5, k)).ToString(CultureInfo.InvariantCulture);
            if (digits.Length <= 18)
            {
                var padded = digits.PadLeft(k + 1, '0');
                return sign + padded[..^k] + "." + padded[^k..];
            }
        }

        var text = new StringBuilder("(").Append(sign).Append("CAST(").Append(significand.ToString(CultureInfo.InvariantCulture)).Append(" AS REAL)");
        var remaining = Math.Abs(exponent);
        var op = exponent < 0 ? '/' : '*';
        while (remaining > 0)
        {
            var step = Math.Min(remaining, 62);
            var factor = step == 62 ? TwoTo62 : 1L << step;
            text.Append(op).Append(factor.ToString(CultureInfo.InvariantCulture));
            remaining -= step;
        }

        return text.Append(')').ToString();
    }
}
