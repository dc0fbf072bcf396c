using Candor.Configuration;
using Candor.Notifications;
using Candor.StatusPage.Api;
using Candor.Tests.StatusPage;

namespace Candor.Tests.Notifications;

/// <summary>
/// The webhook body of an incident event is rendered once for all its subscribers; each copy must be byte for byte
/// the body rendered for that subscriber alone, since receivers check the signature over those very bytes.
/// </summary>
public sealed class WebhookBodyTests
{
    [Fact]
    public void A_copy_is_the_body_rendered_for_its_subscriber_alone()
    {
        var snapshot = AcmeCloud.Snapshot();
        var published = snapshot.Incidents.Single(i => i.Incident.Name == "Elevated API error rates");
        var writer = new StatuspageWriter(snapshot);
        var composer = new MessageComposer(new CandorConfig(), new Uri(AcmeCloud.Url), new MessageTemplates(null));
        var notice = composer.Notice(published.Incident, published.Timeline[^1]);
        var now = AcmeCloud.At("2025-06-12T10:25:00.000-04:00");
        var once = composer.SubscriberWebhook(notice, published, writer, now);

        foreach (var (token, deliveryId) in new[] { (Subscriber.NewToken(), "0123456789abcdef0123456789abcdef"), ("a<b>&c", "d") })
        {
            var unsubscribe = composer.UnsubscribeUrl(token);
            var alone = writer.RenderIncidentWebhook(published, composer.Facts(notice, deliveryId, unsubscribe, now));
            Assert.Equal(alone, once.For(unsubscribe, deliveryId));
        }
    }
}
