package dev.socnet.post;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/** What other modules may ask about posts. Reads the primary: callers cache what it returns. */
public interface PostCatalog {

    /**
     * The posts with these ids that exist (deleted and unknown ids are simply absent).
     *
     * @param ids at most a few thousand ids
     * @return id → post, in no particular order
     */
    Map<UUID, Post> findAll(Collection<UUID> ids);
}
