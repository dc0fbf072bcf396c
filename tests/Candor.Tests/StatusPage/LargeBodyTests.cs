using Candor.StatusPage.Api;
using Microsoft.AspNetCore.Http;

namespace Candor.Tests.StatusPage;

/// <summary>A document longer than one piece is written a piece at a time: it must still arrive whole and in order.</summary>
public sealed class LargeBodyTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(64 * 1024)]
    [InlineData((64 * 1024) + 1)]
    [InlineData(100_000)]
    [InlineData(4_006_066)]
    public async Task The_body_arrives_byte_for_byte_whatever_its_length(int length)
    {
        var body = new byte[length];
        new Random(length).NextBytes(body);
        var http = new DefaultHttpContext();
        using var sent = new MemoryStream();
        http.Response.Body = sent;

        await new StatuspageResponse(body).SendAsync(http, "text/html; charset=utf-8", anyEncodingIsGzip: false);
        await http.Response.BodyWriter.FlushAsync();

        Assert.Equal(length, http.Response.ContentLength);
        Assert.Equal(body, sent.ToArray());
    }
}
