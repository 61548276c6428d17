package io.github.enhancedsqlite.examples.mybatis;

/** A JSON document of the kind apps keep in a TEXT column: repetitive, a few KB, so it compresses well. */
public final class SampleDocument {

    private SampleDocument() {
    }

    /** About 90 bytes per event. */
    public static String json(int events) {
        StringBuilder json = new StringBuilder("{\"session\":\"example\",\"events\":[");
        for (int i = 0; i < events; i++) {
            json.append(i == 0 ? "" : ",").append("{\"seq\":").append(i)
                    .append(",\"kind\":\"edit\",\"file\":\"src/main/java/App.java\",\"note\":\"reformatted imports\"}");
        }
        return json.append("]}").toString();
    }
}
