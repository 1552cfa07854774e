package dev.socnet.feed;

import static dev.socnet.web.BadRequests.get;

import java.util.List;

import org.springframework.test.context.bean.override.mockito.MockitoBean;

import dev.socnet.web.BadInputSlice;
import dev.socnet.web.BadRequests;
import dev.socnet.web.BadRequests.Case;
import dev.socnet.web.WebSlice;

/**
 * The bad-input matrix (issue 13) of {@code /post/feed} (paging), in a web slice: each bad request is a
 * clean 4xx with the JSON error body ({@link BadRequests#assertCleanError}) and reaches neither the service
 * nor the rate limits (nothing is written, nothing is counted).
 */
@WebSlice(FeedController.class)
class FeedBadInputTest extends BadInputSlice {

    /** Stands in for the feed, so that the test can see that no bad request reaches it. */
    @MockitoBean
    FeedManager feeds;

    @Override
    protected void addCases(List<Case> c) {
        c.add(get("post/feed: negative offset", "/post/feed?offset=-1", auth, 400, "offset"));
        c.add(get("post/feed: limit 0", "/post/feed?limit=0", auth, 400, "limit"));
        c.add(get("post/feed: limit over 1000", "/post/feed?limit=1001", auth, 400, "limit"));
        c.add(get("post/feed: a fractional limit", "/post/feed?limit=1.5", auth, 400, "limit"));
        c.add(get("post/feed: offset not a number", "/post/feed?offset=ten", auth, 400, "offset"));
        c.add(get("post/feed: limit beyond int", "/post/feed?limit=1e100", auth, 400, "limit"));
        c.add(get("post/feed: no token", "/post/feed", none, 401, null));
    }
}
