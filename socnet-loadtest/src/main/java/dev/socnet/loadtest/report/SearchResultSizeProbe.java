package dev.socnet.loadtest.report;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * Measures the mean size of people-search answers for the benchmark's feeder: requests the first
 * {@code --samples} entries of the feeder CSV once each, one after the other, and counts the users in each
 * JSON array. Gatling's reports have no place for such a number, and the answers are the same with or
 * without the search index, so one pass (run by scripts/bench/search.sh before the load runs, which also
 * warms the app up) serves both variants.
 *
 * <p>Arguments: {@code --base-url=http://127.0.0.1:8080 --feeder=feeder.csv --out=result-size.json}
 * [{@code --samples=500}]. The feeder has the header {@code first_name,last_name}. Writes a
 * {@link SearchResultSize} as JSON; exits with status 1 if no request was answered.
 */
public final class SearchResultSizeProbe {

    /** Default of {@code --samples}: feeder entries requested. */
    public static final int DEFAULT_SAMPLES = 500;
    /** Time allowed for one search request, in seconds. */
    public static final int REQUEST_TIMEOUT_S = 30;

    static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    private SearchResultSizeProbe() {
    }

    /**
     * Runs the probe; see the class comment for the arguments.
     *
     * @param args {@code --name=value} arguments
     * @throws Exception if the feeder cannot be read, the output cannot be written, or the probe is interrupted
     */
    public static void main(String[] args) throws Exception {
        MainArguments arguments = MainArguments.parse(args);
        String baseUrl = arguments.require("base-url").replaceAll("/+$", "");
        List<CSVRecord> feeder = readFeeder(arguments.requirePath("feeder"));
        int samples = Math.min(arguments.intOr("samples", DEFAULT_SAMPLES), feeder.size());
        Path out = arguments.requirePath("out");

        SearchResultSize size;
        try (HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(REQUEST_TIMEOUT_S))
                .build()) {
            size = measure(client, baseUrl, feeder, samples);
        }
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), size);
        System.out.printf("result size: %d samples, %d failed, mean %.1f users (max %d, %d empty), mean body %.0f bytes -> %s%n",
                size.samples(), size.failed(), size.meanRows(), size.maxRows(), size.emptyAnswers(), size.meanBodyBytes(), out);
        if (size.failed() == size.samples()) {
            System.err.println("result size probe: no search request was answered with 200 by " + baseUrl);
            System.exit(1);
        }
    }

    private static List<CSVRecord> readFeeder(Path feeder) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        try (Reader reader = Files.newBufferedReader(feeder, StandardCharsets.UTF_8)) {
            List<CSVRecord> records = format.parse(reader).getRecords();
            if (records.isEmpty()) {
                throw new IllegalStateException(feeder + " has no rows");
            }
            return records;
        }
    }

    private static SearchResultSize measure(HttpClient client, String baseUrl, List<CSVRecord> feeder, int samples)
            throws InterruptedException {
        int failed = 0;
        int emptyAnswers = 0;
        int maxRows = 0;
        long totalRows = 0;
        long totalBodyBytes = 0;
        for (CSVRecord entry : feeder.subList(0, samples)) {
            URI uri = URI.create(baseUrl + "/user/search?first_name=" + encode(entry.get("first_name"))
                    + "&last_name=" + encode(entry.get("last_name")));
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .header("Accept", "application/json")
                    .timeout(Duration.ofSeconds(REQUEST_TIMEOUT_S))
                    .GET()
                    .build();
            try {
                HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                JsonNode users = response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
                if (users == null || !users.isArray()) {
                    failed++;
                    continue;
                }
                int rows = users.size();
                totalRows += rows;
                totalBodyBytes += response.body().length;
                maxRows = Math.max(maxRows, rows);
                if (rows == 0) {
                    emptyAnswers++;
                }
            } catch (IOException | RuntimeException e) {
                failed++;
            }
        }
        int answered = samples - failed;
        return new SearchResultSize(
                feeder.size(),
                samples,
                failed,
                answered == 0 ? null : (double) totalRows / answered,
                maxRows,
                emptyAnswers,
                answered == 0 ? null : (double) totalBodyBytes / answered);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
