package io.headlesscrm.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;

/** Signatures per Standard Webhooks, checked with the reference library; and the address checks. */
class WebhookSignerTest {

    @Test
    void theSpecificationsTestVectorPasses() {
        Map<String, String> headers = WebhookSigner.headers("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                "{\"test\": 2432232314}", List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        assertThat(headers).containsEntry("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek")
                .containsEntry("webhook-timestamp", "1614265330")
                .containsEntry("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void aReceiverVerifiesWithEitherSecretDuringARotationAndWithNoOther() throws Exception {
        String body = "{\"type\":\"touchpoint.created\",\"data\":{\"id\":\"t1\"}}";
        String fresh = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'B');
        String old = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        Map<String, List<String>> headers = WebhookSigner.headers("msg_1", Instant.now().getEpochSecond(), body,
                List.of(fresh, old)).entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue())));
        assertThat(headers.get("webhook-signature").get(0).split(" ")).hasSize(2);
        new Webhook(fresh).verify(body, headers);
        new Webhook(old).verify(body, headers);
        assertThatThrownBy(() -> new Webhook("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]))
                .verify(body, headers)).isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> new Webhook(fresh).verify(body.replace("t1", "t2"), headers))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void onlyPublicAddressesArePublic() throws Exception {
        for (String notPublic : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                "100.64.0.1", "0.0.0.0", "::1", "fd00::1", "fe80::1", "224.0.0.1")) {
            assertThat(EndpointUrls.isPublic(InetAddress.getByName(notPublic))).as(notPublic).isFalse();
        }
        for (String open : List.of("8.8.8.8", "1.1.1.1", "2606:4700::1111")) {
            assertThat(EndpointUrls.isPublic(InetAddress.getByName(open))).as(open).isTrue();
        }
        assertThat(Cidr.parse("127.0.0.0/8").contains(InetAddress.getByName("127.9.9.9"))).isTrue();
        assertThat(Cidr.parse("127.0.0.0/8").contains(InetAddress.getByName("128.0.0.1"))).isFalse();
        assertThatThrownBy(() -> Cidr.parse("example.com/8")).isInstanceOf(IllegalArgumentException.class);
    }
}
