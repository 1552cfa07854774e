package dev.socnet.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusClientTest {

    /** A range query's answer as Prometheus 2.x writes it (two series, NaN in a ratio). */
    static final String MATRIX = """
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{"node":"primary"},"values":[[1796222800,"3.5"],[1796222805,"4"]]},
              {"metric":{"node":"replica1"},"values":[[1796222800,"NaN"],[1796222805,"+Inf"]]}]}}
            """;

    @Test
    void parsesEverySeriesWithItsLabelsAndSamples() throws Exception {
        List<PrometheusClient.Series> series = PrometheusClient.parseMatrix(MATRIX);

        assertThat(series).hasSize(2);
        assertThat(series.get(0).labels()).containsEntry("node", "primary");
        assertThat(series.get(0).samples()).containsExactly(new PrometheusClient.Sample(1796222800, 3.5),
                new PrometheusClient.Sample(1796222805, 4));
        assertThat(series.get(1).samples().get(0).value()).isNaN();
        assertThat(series.get(1).samples().get(1).value()).isInfinite();
    }

    @Test
    void anEmptyResultIsNoSeries() throws Exception {
        assertThat(PrometheusClient.parseMatrix("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}"))
                .isEmpty();
    }

    @Test
    void anErrorAnswerNamesPrometheusError() {
        assertThatThrownBy(() -> PrometheusClient.parseMatrix(
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:5: parse error: unexpected }\"}"))
                .isInstanceOf(PrometheusClient.PrometheusException.class)
                .hasMessageContaining("bad_data").hasMessageContaining("parse error");
    }

    @Test
    void anAnswerThatIsNotJsonIsRejected() {
        assertThatThrownBy(() -> PrometheusClient.parseMatrix("<html>502 Bad Gateway</html>"))
                .isInstanceOf(PrometheusClient.PrometheusException.class).hasMessageContaining("502 Bad Gateway");
    }

    @Test
    void anInstantVectorIsNotAMatrix() {
        assertThatThrownBy(() -> PrometheusClient.parseMatrix(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"))
                .hasMessageContaining("vector");
    }

    @Test
    void aWindowEndingBeforeItStartsIsRefusedBeforeAnyRequest() {
        PrometheusClient client = new PrometheusClient(URI.create("http://127.0.0.1:1"));
        Instant now = Instant.now();
        assertThatThrownBy(() -> client.queryRange("up", now, now.minusSeconds(1), Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.queryRange("up", now, now, Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
