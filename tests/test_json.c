/* JSON: the reader against JSONTestSuite and RFC 8259's examples, the tree
   API, limits and errors, the writer and printf, and httpx_json(r). */
#include "test.h"
#include "fixtures.h"
#include <dirent.h>
#include <stdlib.h>
#include <locale.h>
/* Numbers are compared with (double)LITERAL: where FLT_EVAL_METHOD is 2 (x87,
   the -m32 leg), a bare literal has long double precision and == would
   compare against more digits than a double holds. */

/* Parses a copy of exactly n bytes (no NUL after it), so that ASan sees any
   read past the end, and frees the copy at once: the tree must not point
   into its input. */
static httpx_json_value *tj_parse_n(const char *s, size_t n, httpx_json_error *err) {
    char *copy = (char *)malloc(n ? n : 1);
    httpx_json_value *v;
    memcpy(copy, s, n);
    v = httpx_json_parse(copy, n, err);
    memset(copy, 'x', n);
    free(copy);
    return v;
}
static httpx_json_value *tj_parse(const char *s, httpx_json_error *err) { return tj_parse_n(s, strlen(s), err); }

/* ---- JSONTestSuite ---- */

/* Each implementation-defined case, what we do and why. A file not listed
   here fails the test, so the list stays complete. */
static const struct { const char *file; bool accept; const char *why; } tj_i_cases[] = {
    {"i_number_double_huge_neg_exp.json", true, "underflows to 0, as Python's float()"},
    {"i_number_huge_exp.json", true, "overflows to infinity, as Python's float()"},
    {"i_number_neg_int_huge_exp.json", true, "-infinity"},
    {"i_number_pos_double_huge_exp.json", true, "infinity"},
    {"i_number_real_neg_overflow.json", true, "-infinity"},
    {"i_number_real_pos_overflow.json", true, "infinity"},
    {"i_number_real_underflow.json", true, "0"},
    {"i_number_too_big_neg_int.json", true, "beyond int64: the nearest double, httpx_json_int says not exact"},
    {"i_number_too_big_pos_int.json", true, "beyond int64: the nearest double"},
    {"i_number_very_big_negative_int.json", true, "beyond int64: the nearest double"},
    {"i_object_key_lone_2nd_surrogate.json", true, "a lone surrogate escape becomes U+FFFD"},
    {"i_string_1st_surrogate_but_2nd_missing.json", true, "U+FFFD"},
    {"i_string_1st_valid_surrogate_2nd_invalid.json", true, "U+FFFD, then U+1234"},
    {"i_string_UTF-16LE_with_BOM.json", false, "JSON is UTF-8 (RFC 8259 8.1); UTF-16 is refused"},
    {"i_string_UTF-8_invalid_sequence.json", false, "invalid UTF-8 is refused, as Python HTTPX's r.json() does"},
    {"i_string_UTF8_surrogate_U+D800.json", false, "a surrogate encoded in UTF-8 is invalid UTF-8"},
    {"i_string_incomplete_surrogate_and_escape_valid.json", true, "U+FFFD, then the newline"},
    {"i_string_incomplete_surrogate_pair.json", true, "U+FFFD, then 'a'"},
    {"i_string_incomplete_surrogates_escape_valid.json", true, "two U+FFFD, then the newline"},
    {"i_string_invalid_lonely_surrogate.json", true, "U+FFFD"},
    {"i_string_invalid_surrogate.json", true, "U+FFFD, then 'abc'"},
    {"i_string_invalid_utf-8.json", false, "invalid UTF-8"},
    {"i_string_inverted_surrogates_U+1D11E.json", true, "two U+FFFD"},
    {"i_string_iso_latin_1.json", false, "Latin-1 is not UTF-8"},
    {"i_string_lone_second_surrogate.json", true, "U+FFFD"},
    {"i_string_lone_utf8_continuation_byte.json", false, "invalid UTF-8"},
    {"i_string_not_in_unicode_range.json", false, "above U+10FFFF: invalid UTF-8"},
    {"i_string_overlong_sequence_2_bytes.json", false, "overlong: invalid UTF-8"},
    {"i_string_overlong_sequence_6_bytes.json", false, "invalid UTF-8"},
    {"i_string_overlong_sequence_6_bytes_null.json", false, "invalid UTF-8"},
    {"i_string_truncated-utf-8.json", false, "invalid UTF-8"},
    {"i_string_utf16BE_no_BOM.json", false, "UTF-16 is refused"},
    {"i_string_utf16LE_no_BOM.json", false, "UTF-16 is refused"},
    {"i_structure_500_nested_arrays.json", true, "within the depth limit of 512"},
    {"i_structure_UTF-8_BOM_empty_object.json", true, "a UTF-8 BOM is skipped (RFC 8259 8.1 allows it)"},
};

static int tj_i_decision(const char *name) {
    size_t i;
    for (i = 0; i < sizeof tj_i_cases / sizeof tj_i_cases[0]; i++)
        if (!strcmp(tj_i_cases[i].file, name)) return tj_i_cases[i].accept;
    return -1;
}

TEST(json_testsuite_parsing) {
    char dir[512], path[1024];
    DIR *d;
    struct dirent *ent;
    int y = 0, n = 0, i = 0;
    snprintf(dir, sizeof dir, "%s/json-testsuite/test_parsing", test_data_dir());
    d = opendir(dir);
    REQUIRE(d != NULL);
    while ((ent = readdir(d)) != NULL) {
        const char *name = ent->d_name;
        size_t len;
        char *text;
        httpx_json_error err;
        httpx_json_value *v;
        int want;
        if (name[0] == '.' || name[1] != '_') continue;
        snprintf(path, sizeof path, "%s/%s", dir, name);
        text = test_read_file(path, &len);
        if (!text) { test_fail(__FILE__, __LINE__, "cannot read %s", path); continue; }
        v = tj_parse_n(text, len, &err);
        if (name[0] == 'y') { want = 1; y++; }
        else if (name[0] == 'n') { want = 0; n++; }
        else {
            want = tj_i_decision(name);
            i++;
            if (want < 0) test_fail(__FILE__, __LINE__, "%s: no decision listed in tj_i_cases", name);
        }
        if (want == 1 && !v) test_fail(__FILE__, __LINE__, "%s rejected: %s", name, err.message);
        if (want == 0 && v) test_fail(__FILE__, __LINE__, "%s accepted", name);
        if (!v) {
            CHECK(err.code == HTTPX_ERR_DECODING || err.code == HTTPX_ERR_TOO_LARGE);
            CHECK(err.message[0] != 0);
            CHECK(err.offset <= len);
        }
        httpx_json_free(v);
        free(text);
    }
    closedir(d);
    CHECK_INT(y, 95);
    CHECK_INT(n, 188);
    CHECK_INT(i, 35);
}

/* test_transform: inputs whose value parsers disagree on; we check ours. */
static httpx_json_value *tj_transform(const char *name) {
    char path[1024];
    size_t len;
    char *text;
    httpx_json_value *v;
    snprintf(path, sizeof path, "%s/json-testsuite/test_transform/%s", test_data_dir(), name);
    text = test_read_file(path, &len);
    if (!text) return NULL;
    v = tj_parse_n(text, len, NULL);
    free(text);
    return v;
}

TEST(json_testsuite_transform) {
    httpx_json_value *v;
    bool ok;
    v = tj_transform("number_-9223372036854775808.json");
    REQUIRE(v);
    CHECK(httpx_json_int(httpx_json_at(v, 0), &ok) == INT64_MIN && ok);
    httpx_json_free(v);
    v = tj_transform("number_-9223372036854775809.json");
    REQUIRE(v);
    httpx_json_int(httpx_json_at(v, 0), &ok);
    CHECK(!ok);
    CHECK(httpx_json_number(httpx_json_at(v, 0)) == (double)-9223372036854775808.0);
    httpx_json_free(v);
    v = tj_transform("number_9223372036854775807.json");
    REQUIRE(v);
    CHECK(httpx_json_int(httpx_json_at(v, 0), &ok) == INT64_MAX && ok);
    httpx_json_free(v);
    v = tj_transform("number_9223372036854775808.json");
    REQUIRE(v);
    CHECK(httpx_json_int(httpx_json_at(v, 0), &ok) == INT64_MAX && !ok);   /* clamped, and said so */
    httpx_json_free(v);
    v = tj_transform("number_10000000000000000999.json");
    REQUIRE(v);
    CHECK(httpx_json_number(httpx_json_at(v, 0)) == (double)1e19);
    httpx_json_free(v);
    v = tj_transform("number_1.000000000000000005.json");
    REQUIRE(v);
    CHECK(httpx_json_number(httpx_json_at(v, 0)) == (double)1.0);
    httpx_json_free(v);
    v = tj_transform("number_1e-999.json");
    REQUIRE(v);
    CHECK(httpx_json_number(httpx_json_at(v, 0)) == (double)0.0);
    httpx_json_free(v);
    v = tj_transform("number_1.0.json");
    REQUIRE(v);
    CHECK(httpx_json_int(httpx_json_at(v, 0), &ok) == 1 && !ok);            /* 1.0 is no integer literal */
    httpx_json_free(v);
    v = tj_transform("object_same_key_different_values.json");
    REQUIRE(v);
    CHECK_INT(httpx_json_len(v), 2);
    CHECK_INT(httpx_json_int(httpx_json_get(v, "a"), NULL), 2);              /* the last wins */
    httpx_json_free(v);
    v = tj_transform("string_with_escaped_NULL.json");
    REQUIRE(v);
    CHECK_MEM(httpx_json_string(httpx_json_at(v, 0)), httpx_json_string_len(httpx_json_at(v, 0)), "A\0B", 3);
    httpx_json_free(v);
    v = tj_transform("string_1_escaped_invalid_codepoint.json");
    REQUIRE(v);
    CHECK_STR(httpx_json_string(httpx_json_at(v, 0)), "\xEF\xBF\xBD");
    httpx_json_free(v);
    v = tj_transform("string_3_escaped_invalid_codepoints.json");
    REQUIRE(v);
    CHECK_STR(httpx_json_string(httpx_json_at(v, 0)), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    httpx_json_free(v);
    CHECK(tj_transform("string_1_invalid_codepoint.json") == NULL);
}

TEST(json_i_case_values) {
    httpx_json_value *v = tj_parse("[\"\\uD888\\u1234\", \"\\uDd1e\\uD834\", \"\\ud800abc\"]", NULL);
    REQUIRE(v);
    CHECK_STR(httpx_json_string(httpx_json_at(v, 0)), "\xEF\xBF\xBD\xE1\x88\xB4");
    CHECK_STR(httpx_json_string(httpx_json_at(v, 1)), "\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK_STR(httpx_json_string(httpx_json_at(v, 2)), "\xEF\xBF\xBD" "abc");
    httpx_json_free(v);
    v = tj_parse("[1.5e+9999, -1e+9999, 123e-10000000]", NULL);
    REQUIRE(v);
    CHECK(httpx_json_number(httpx_json_at(v, 0)) > 1e308);
    CHECK(httpx_json_number(httpx_json_at(v, 1)) < -1e308);
    CHECK(httpx_json_number(httpx_json_at(v, 2)) == (double)0.0);
    CHECK_INT(httpx_json_int(httpx_json_at(v, 0), NULL), INT64_MAX);
    httpx_json_free(v);
}

/* ---- RFC 8259 section 13 ---- */

TEST(json_rfc8259_examples) {
    static const char image[] =
        "{\n  \"Image\": {\n      \"Width\":  800,\n      \"Height\": 600,\n"
        "      \"Title\":  \"View from 15th Floor\",\n      \"Thumbnail\": {\n"
        "          \"Url\":    \"http://www.example.com/image/481989943\",\n"
        "          \"Height\": 125,\n          \"Width\":  100\n      },\n"
        "      \"Animated\" : false,\n      \"IDs\": [116, 943, 234, 38793]\n    }\n}\n";
    static const char places[] =
        "[\n  {\n     \"precision\": \"zip\",\n     \"Latitude\":  37.7668,\n"
        "     \"Longitude\": -122.3959,\n     \"Address\":   \"\",\n     \"City\":      \"SAN FRANCISCO\",\n"
        "     \"State\":     \"CA\",\n     \"Zip\":       \"94107\",\n     \"Country\":   \"US\"\n  },\n"
        "  {\n     \"precision\": \"zip\",\n     \"Latitude\":  37.371991,\n     \"Longitude\": -122.026020,\n"
        "     \"Address\":   \"\",\n     \"City\":      \"SUNNYVALE\",\n     \"State\":     \"CA\",\n"
        "     \"Zip\":       \"94085\",\n     \"Country\":   \"US\"\n  }\n]\n";
    httpx_json_value *v = tj_parse(image, NULL), *w;
    const httpx_json_value *img;
    bool ok;
    REQUIRE(v);
    img = httpx_json_get(v, "Image");
    CHECK_INT(httpx_json_type(img), HTTPX_JSON_OBJECT);
    CHECK_INT(httpx_json_len(img), 6);
    CHECK_INT(httpx_json_int(httpx_json_get(img, "Width"), &ok), 800);
    CHECK(ok);
    CHECK_INT(httpx_json_int(httpx_json_get(img, "Height"), NULL), 600);
    CHECK_STR(httpx_json_string(httpx_json_get(img, "Title")), "View from 15th Floor");
    CHECK_STR(httpx_json_string(httpx_json_path(v, "Image.Thumbnail.Url")), "http://www.example.com/image/481989943");
    CHECK_INT(httpx_json_int(httpx_json_path(v, "Image.Thumbnail.Width"), NULL), 100);
    CHECK_INT(httpx_json_type(httpx_json_get(img, "Animated")), HTTPX_JSON_BOOL);
    CHECK(!httpx_json_bool(httpx_json_get(img, "Animated")));
    CHECK_INT(httpx_json_len(httpx_json_get(img, "IDs")), 4);
    CHECK_INT(httpx_json_int(httpx_json_path(v, "Image.IDs[3]"), NULL), 38793);
    CHECK_INT(httpx_json_int(httpx_json_path(v, "Image.IDs[-1]"), NULL), 38793);
    CHECK_INT(httpx_json_int(httpx_json_path(v, "Image.IDs[-4]"), NULL), 116);
    CHECK(httpx_json_path(v, "Image.IDs[-5]") == NULL);
    CHECK(httpx_json_path(v, "Image.IDs[4]") == NULL);
    httpx_json_free(v);

    w = tj_parse(places, NULL);
    REQUIRE(w);
    CHECK_INT(httpx_json_len(w), 2);
    CHECK(httpx_json_number(httpx_json_path(w, "[0].Latitude")) == (double)37.7668);
    CHECK(httpx_json_number(httpx_json_path(w, "[0].Longitude")) == (double)-122.3959);
    CHECK(httpx_json_number(httpx_json_path(w, "[1].Latitude")) == (double)37.371991);
    CHECK(httpx_json_number(httpx_json_path(w, "[1].Longitude")) == (double)-122.026020);
    CHECK_STR(httpx_json_string(httpx_json_path(w, "[1].City")), "SUNNYVALE");
    CHECK_STR(httpx_json_string(httpx_json_path(w, "[0].Address")), "");
    CHECK_STR(httpx_json_string(httpx_json_path(w, "[1].Zip")), "94085");
    httpx_json_free(w);

    v = tj_parse("\"Hello world!\"", NULL);
    CHECK_STR(httpx_json_string(v), "Hello world!");
    httpx_json_free(v);
    v = tj_parse("42", NULL);
    CHECK_INT(httpx_json_int(v, NULL), 42);
    httpx_json_free(v);
    v = tj_parse("true", NULL);
    CHECK(httpx_json_bool(v));
    httpx_json_free(v);
}

/* ---- the tree API ---- */

TEST(json_accessors_and_iteration) {
    httpx_json_value *v = tj_parse("{\"a\": null, \"b\": [true, false, \"x\\u00e9\\ud83d\\ude00\"], \"c\": {\"d.e\": 1, "
                                   "\"f[0]\": 2, \"g\\\\h\": 3}, \"\": 4, \"n\": -0.5e1}", NULL);
    const char *name = "unset";
    const httpx_json_value *m;
    REQUIRE(v);
    CHECK_INT(httpx_json_type(v), HTTPX_JSON_OBJECT);
    CHECK_INT(httpx_json_len(v), 5);
    CHECK(httpx_json_is_null(httpx_json_get(v, "a")));
    CHECK(!httpx_json_is_null(httpx_json_get(v, "zz")));        /* missing is not null */
    CHECK_INT(httpx_json_type(httpx_json_get(v, "zz")), HTTPX_JSON_NONE);
    CHECK(httpx_json_bool(httpx_json_path(v, "b[0]")));
    CHECK(!httpx_json_bool(httpx_json_path(v, "b[1]")));
    CHECK_STR(httpx_json_string(httpx_json_path(v, "b[2]")), "x\xC3\xA9\xF0\x9F\x98\x80");
    CHECK_INT(httpx_json_string_len(httpx_json_path(v, "b[2]")), 7);
    CHECK(httpx_json_number(httpx_json_get(v, "n")) == (double)-5.0);
    /* member iteration, in document order, names included */
    m = httpx_json_member(v, 1, &name);
    CHECK_STR(name, "b");
    CHECK_STR(httpx_json_key(m), "b");
    CHECK_INT(httpx_json_key_len(m), 1);
    m = httpx_json_member(v, 3, &name);
    CHECK_STR(name, "");
    CHECK_INT(httpx_json_int(m, NULL), 4);
    CHECK(httpx_json_member(v, 5, &name) == NULL && name == NULL);
    CHECK(httpx_json_member(httpx_json_get(v, "b"), 0, &name) == NULL);   /* arrays have no members */
    CHECK(httpx_json_key(httpx_json_path(v, "b[0]")) == NULL);
    CHECK(httpx_json_key(v) == NULL);
    /* path escapes */
    CHECK_INT(httpx_json_int(httpx_json_path(v, "c.d\\.e"), NULL), 1);
    CHECK_INT(httpx_json_int(httpx_json_path(v, "c.f\\[0\\]"), NULL), 2);
    CHECK_INT(httpx_json_int(httpx_json_path(v, "c.g\\\\h"), NULL), 3);
    CHECK(httpx_json_path(v, "c.d.e") == NULL);
    CHECK(httpx_json_path(v, "") == v);
    CHECK(httpx_json_path(v, ".a") == httpx_json_get(v, "a"));
    CHECK(httpx_json_path(v, "b[0]x") == NULL);                 /* malformed */
    CHECK(httpx_json_path(v, "b[") == NULL);
    CHECK(httpx_json_path(v, "b[x]") == NULL);
    CHECK(httpx_json_path(v, "b]") == NULL);
    CHECK(httpx_json_path(v, "c\\") == NULL);
    CHECK(httpx_json_path(v, "[0]") == NULL);                   /* an object is no array */
    CHECK(httpx_json_path(v, "b.x") == NULL);                   /* an array is no object */
    CHECK(httpx_json_path(v, "b[99999999999999999999999]") == NULL);
    httpx_json_free(v);
}

TEST(json_null_safety) {
    bool ok = true;
    const char *name = "x";
    CHECK_INT(httpx_json_type(NULL), HTTPX_JSON_NONE);
    CHECK(httpx_json_string(httpx_json_path(NULL, "a.b")) == NULL);
    CHECK(httpx_json_string_len(NULL) == 0);
    CHECK(httpx_json_number(NULL) == (double)0);
    CHECK(httpx_json_int(NULL, &ok) == 0 && !ok);
    CHECK(!httpx_json_bool(NULL));
    CHECK(!httpx_json_is_null(NULL));
    CHECK(httpx_json_get(NULL, "a") == NULL);
    CHECK(httpx_json_at(NULL, 0) == NULL);
    CHECK(httpx_json_len(NULL) == 0);
    CHECK(httpx_json_member(NULL, 0, &name) == NULL && name == NULL);
    CHECK(httpx_json_key(NULL) == NULL);
    CHECK(httpx_json_path(NULL, "") == NULL);
    httpx_json_free(NULL);
    {   /* the wrong type gives neutral values too */
        httpx_json_value *v = tj_parse("[\"s\", 1, {}]", NULL);
        REQUIRE(v);
        CHECK(httpx_json_number(httpx_json_at(v, 0)) == (double)0);
        CHECK(httpx_json_string(httpx_json_at(v, 1)) == NULL);
        CHECK(httpx_json_len(httpx_json_at(v, 0)) == 0);
        CHECK(httpx_json_get(v, "a") == NULL);
        CHECK(httpx_json_path(v, "[0][0]") == NULL);
        CHECK_INT(httpx_json_len(httpx_json_at(v, 2)), 0);
        CHECK(!httpx_json_bool(httpx_json_at(v, 1)));
        httpx_json_free(v);
    }
}

TEST(json_numbers) {
    static const struct { const char *text; double d; } cases[] = {
        {"0", 0}, {"-0", 0}, {"1", 1}, {"-1", -1}, {"0.1", 0.1}, {"0.5", 0.5}, {"3.141592653589793", 3.141592653589793},
        {"1e10", 1e10}, {"1E+2", 100}, {"1e-2", 0.01}, {"2.5e-3", 0.0025}, {"123456789012345678", 123456789012345678.0},
        {"1.7976931348623157e308", 1.7976931348623157e308}, {"5e-324", 5e-324}, {"2.2250738585072014e-308", 2.2250738585072014e-308},
        {"0.30000000000000004", 0.30000000000000004}, {"9007199254740993", 9007199254740993.0},
        {"1.00000000000000011102230246251565404236316680908203125", 1.0},   /* a tie: to even */
        {"1.00000000000000011102230246251565404236316680908203126", 1.0000000000000002},
        {"0.000001234", 0.000001234}, {"-12345.6789e-3", -12.3456789}, {"1e23", 1e23}, {"8.0e-1", 0.8},
    };
    size_t i;
    char buf[128];
    bool ok;
    httpx_json_value *v;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        v = tj_parse(cases[i].text, NULL);
        if (!v) { test_fail(__FILE__, __LINE__, "%s rejected", cases[i].text); continue; }
        if (httpx_json_number(v) != cases[i].d)
            test_fail(__FILE__, __LINE__, "%s read as %.17g", cases[i].text, httpx_json_number(v));
        httpx_json_free(v);
    }
    v = tj_parse("[9223372036854775807, -9223372036854775808, 12, 1e2, 100.0, 9007199254740993]", NULL);
    REQUIRE(v);
    CHECK(httpx_json_int(httpx_json_at(v, 0), &ok) == INT64_MAX && ok);
    CHECK(httpx_json_int(httpx_json_at(v, 1), &ok) == INT64_MIN && ok);
    CHECK(httpx_json_int(httpx_json_at(v, 2), &ok) == 12 && ok);
    CHECK(httpx_json_int(httpx_json_at(v, 3), &ok) == 100 && !ok);
    CHECK(httpx_json_int(httpx_json_at(v, 4), &ok) == 100 && !ok);
    CHECK(httpx_json_int(httpx_json_at(v, 5), &ok) == 9007199254740993LL && ok);   /* exact, unlike a double */
    httpx_json_free(v);
    /* a long number goes through the slow path (heap copy) */
    memset(buf, '1', sizeof buf);
    buf[0] = '0'; buf[1] = '.';
    buf[sizeof buf - 1] = 0;
    v = tj_parse(buf, NULL);
    REQUIRE(v);
    CHECK(httpx_json_number(v) == (double)0.11111111111111111);
    httpx_json_free(v);
}

/* Numbers must not depend on LC_NUMERIC. The test machine may have no
   locale with a decimal comma; then this test can only check the C locale
   (it says so), and tests/bench/json.sh's locale run covers it. */
TEST(json_numbers_any_locale) {
    static const char *const locales[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8", "de_DE", "fr_FR"};
    size_t i;
    const char *set = NULL;
    httpx_json_value *v;
    char *out;
    for (i = 0; i < sizeof locales / sizeof locales[0] && !set; i++) set = setlocale(LC_NUMERIC, locales[i]);
    /* musl accepts any locale name but keeps "." as the decimal point */
    if (set && strcmp(localeconv()->decimal_point, ",") != 0) set = NULL;
    if (!set) printf("note: no decimal-comma locale installed; json_numbers_any_locale ran in the C locale\n");
    v = tj_parse("[0.5, 1234567.891011121314, 1.5e-7]", NULL);
    if (v) {
        CHECK(httpx_json_number(httpx_json_at(v, 0)) == (double)0.5);
        CHECK(httpx_json_number(httpx_json_at(v, 1)) == (double)1234567.891011121314);
        CHECK(httpx_json_number(httpx_json_at(v, 2)) == (double)1.5e-7);
    }
    CHECK(v != NULL);
    httpx_json_free(v);
    out = httpx_json_printf("[%g, %f]", 0.5, 1234567.891011121314);
    CHECK_STR(out, "[0.5, 1234567.8910111212]");
    v = out ? httpx_json_parse(out, strlen(out), NULL) : NULL;
    CHECK(httpx_json_number(httpx_json_at(v, 1)) == (double)1234567.891011121314);
    httpx_json_free(v);
    httpx_json_printf_free(out);
    setlocale(LC_NUMERIC, "C");
}

TEST(json_errors_say_where_and_what) {
    httpx_json_error err;
    CHECK(tj_parse("{\"a\": 1 \"b\": 2}", &err) == NULL);
    CHECK_INT(err.code, HTTPX_ERR_DECODING);
    CHECK_INT(err.offset, 8);
    CHECK_STR(err.message, "expected ',' or '}' at byte 8 (line 1, column 9), found '\"'");
    CHECK(tj_parse("[1,\n 2,\n ]", &err) == NULL);
    CHECK_STR(err.message, "expected a value at byte 9 (line 3, column 2), found ']'");
    CHECK_INT(err.line, 3);
    CHECK_INT(err.column, 2);
    CHECK(tj_parse("", &err) == NULL);
    CHECK_STR(err.message, "expected a value at byte 0 (line 1, column 1), found the end of the input");
    CHECK(tj_parse("[1] x", &err) == NULL);
    CHECK_STR(err.message, "expected the end of the document at byte 4 (line 1, column 5), found 'x'");
    CHECK(tj_parse("{\"a\" 1}", &err) == NULL);
    CHECK(strstr(err.message, "expected ':' after the member name at byte 5") != NULL);
    CHECK(tj_parse("{1: 2}", &err) == NULL);
    CHECK(strstr(err.message, "expected a member name in quotes at byte 1") != NULL);
    CHECK(tj_parse("[\"abc", &err) == NULL);
    CHECK(strstr(err.message, "unterminated string") && strstr(err.message, "byte 1"));
    CHECK(tj_parse("[\"a\tb\"]", &err) == NULL);
    CHECK(strstr(err.message, "control character") && err.offset == 3);
    CHECK(tj_parse("[\"\\x\"]", &err) == NULL);
    CHECK(strstr(err.message, "invalid escape") && err.offset == 2);
    CHECK(tj_parse("[\"\\u12G4\"]", &err) == NULL);
    CHECK(strstr(err.message, "\\u escape") != NULL);
    CHECK(tj_parse("[01]", &err) == NULL);
    CHECK(strstr(err.message, "leading zero") != NULL);
    CHECK(tj_parse("[1.]", &err) == NULL);
    CHECK(strstr(err.message, "expected a digit after '.' at byte 3") != NULL);
    CHECK(tj_parse("[1e]", &err) == NULL);
    CHECK(strstr(err.message, "exponent") != NULL);
    CHECK(tj_parse("[\"\xC3\"]", &err) == NULL);
    CHECK(strstr(err.message, "invalid UTF-8") && err.offset == 2);
    CHECK(tj_parse("[tru]", &err) == NULL);
    CHECK(strstr(err.message, "expected a value at byte 1") != NULL);
    CHECK(tj_parse("[1]\x01", &err) == NULL);
    CHECK(strstr(err.message, "found byte 0x01") != NULL);
    CHECK(httpx_json_parse(NULL, 1, &err) == NULL && err.code == HTTPX_ERR_INVALID_ARGUMENT);
    CHECK(httpx_json_parse(NULL, 0, &err) == NULL && err.code == HTTPX_ERR_DECODING);
    CHECK(httpx_json_parse("[1]", 2, NULL) == NULL);          /* len is what counts, not the NUL */
}

TEST(json_depth_limit_no_recursion) {
    size_t n = 1000000, i;
    char *deep = (char *)malloc(2 * n);
    httpx_json_error err;
    httpx_json_value *v;
    REQUIRE(deep);
    for (i = 0; i < n; i++) { deep[i] = '['; deep[2 * n - 1 - i] = ']'; }
    CHECK(httpx_json_parse(deep, 2 * n, &err) == NULL);
    CHECK_INT(err.code, HTTPX_ERR_TOO_LARGE);
    CHECK(strstr(err.message, "nesting deeper than 512 levels") != NULL);
    CHECK_INT(err.offset, 512);
    /* 512 levels exactly are fine, also for objects */
    v = httpx_json_parse(deep + n - 512, 1024, &err);
    CHECK(v != NULL);
    httpx_json_free(v);
    for (i = 0; i < 513; i++) memcpy(deep + i * 5, "{\"a\":", 5);
    CHECK(httpx_json_parse(deep, 513 * 5, &err) == NULL);
    CHECK_INT(err.code, HTTPX_ERR_TOO_LARGE);
    free(deep);
}

TEST(json_big_documents) {
    /* many values: node blocks grow; every value still reachable */
    size_t n = 200000, i, len = 0;
    char *text = (char *)malloc(n * 32 + 16);
    httpx_json_value *v;
    bool all = true;
    REQUIRE(text);
    text[len++] = '[';
    for (i = 0; i < n; i++) len += (size_t)sprintf(text + len, "%s[%zu,\"s%zu\"]", i ? "," : "", i, i);
    text[len++] = ']';
    v = tj_parse_n(text, len, NULL);
    REQUIRE(v);
    CHECK_INT(httpx_json_len(v), n);
    for (i = 0; i < n; i += 997) {
        char s[32];
        snprintf(s, sizeof s, "s%zu", i);
        if (httpx_json_int(httpx_json_at(httpx_json_at(v, i), 0), NULL) != (int64_t)i ||
            strcmp(httpx_json_string(httpx_json_at(httpx_json_at(v, i), 1)), s) != 0) all = false;
    }
    CHECK(all);
    CHECK_STR(httpx_json_string(httpx_json_path(v, "[-1][1]")), "s199999");
    httpx_json_free(v);
    free(text);
}

/* ---- the writer ---- */

TEST(jsonw_builds_and_escapes) {
    httpx_jsonw *w = httpx_jsonw_new();
    const char *t;
    httpx_json_value *back;
    REQUIRE(w);
    CHECK_INT(httpx_jsonw_object_begin(w), HTTPX_OK);
    httpx_jsonw_key(w, "quote\"back\\slash");
    httpx_jsonw_string(w, "tab\there\nnl \x01\x1f ctl \x7f del");
    httpx_jsonw_key(w, "utf8");
    httpx_jsonw_string(w, "caf\xC3\xA9 \xF0\x9F\x98\x80 \xE2\x80\xA8");
    httpx_jsonw_key(w, "nul");
    httpx_jsonw_string_n(w, "a\0b", 3);
    httpx_jsonw_key(w, "list");
    httpx_jsonw_array_begin(w);
    httpx_jsonw_int(w, INT64_MIN);
    httpx_jsonw_number(w, 0.1);
    httpx_jsonw_number(w, -0.0);
    httpx_jsonw_number(w, 1e300);
    httpx_jsonw_number(w, 5e-324);
    httpx_jsonw_bool(w, true);
    httpx_jsonw_null(w);
    httpx_jsonw_string(w, NULL);
    httpx_jsonw_array_begin(w);
    httpx_jsonw_array_end(w);
    httpx_jsonw_object_begin(w);
    httpx_jsonw_object_end(w);
    httpx_jsonw_raw(w, " {\"r\": [1]} ");
    httpx_jsonw_array_end(w);
    CHECK_INT(httpx_jsonw_object_end(w), HTTPX_OK);
    t = httpx_jsonw_text(w);
    REQUIRE(t);
    CHECK_STR(t, "{\"quote\\\"back\\\\slash\":\"tab\\there\\nnl \\u0001\\u001f ctl \x7f del\","
                 "\"utf8\":\"caf\xC3\xA9 \xF0\x9F\x98\x80 \xE2\x80\xA8\",\"nul\":\"a\\u0000b\","
                 "\"list\":[-9223372036854775808,0.1,-0.0,1e+300,4.94065645841247e-324,true,null,null,[],{}, {\"r\": [1]} ]}");
    CHECK_STR(httpx_jsonw_error_message(w), "");
    /* round trip through the reader */
    back = httpx_json_parse(t, strlen(t), NULL);
    REQUIRE(back);
    CHECK_STR(httpx_json_string(httpx_json_get(back, "quote\"back\\slash")), "tab\there\nnl \x01\x1f ctl \x7f del");
    CHECK_MEM(httpx_json_string(httpx_json_get(back, "nul")), httpx_json_string_len(httpx_json_get(back, "nul")), "a\0b", 3);
    CHECK(httpx_json_number(httpx_json_path(back, "list[4]")) == (double)5e-324);
    CHECK_INT(httpx_json_int(httpx_json_path(back, "list[0]"), NULL), INT64_MIN);
    httpx_json_free(back);
    httpx_jsonw_free(w);
}

TEST(jsonw_round_trips_a_tree) {
    static const char doc[] = "{\"a\":[1,2.5,-3e-7,\"x\\\"y\",{\"b\":null,\"\":[true,false]}],"
                              "\"big\":123456789012345678,\"u\":\"\\u00e9\\ud83d\\ude00\"}";
    httpx_json_value *v = tj_parse(doc, NULL), *v2;
    httpx_jsonw *w = httpx_jsonw_new();
    const char *t;
    REQUIRE(v && w);
    CHECK_INT(httpx_jsonw_value(w, v), HTTPX_OK);
    t = httpx_jsonw_text(w);
    REQUIRE(t);
    CHECK_STR(t, "{\"a\":[1,2.5,-3e-07,\"x\\\"y\",{\"b\":null,\"\":[true,false]}],"
                 "\"big\":123456789012345678,\"u\":\"\xC3\xA9\xF0\x9F\x98\x80\"}");
    v2 = httpx_json_parse(t, strlen(t), NULL);
    REQUIRE(v2);
    CHECK(httpx_json_number(httpx_json_path(v2, "a[2]")) == (double)-3e-7);
    httpx_json_free(v2);
    httpx_json_free(v);
    httpx_jsonw_free(w);
}

/* Found by tests/fuzz/fuzz_json.c: -0.0 was written "-0", which reads back
   as the integer 0, so the writer's output did not round-trip. */
TEST(jsonw_negative_zero_round_trips) {
    httpx_jsonw *w = httpx_jsonw_new();
    httpx_json_value *v;
    const char *t;
    double z = -0.0, back;
    REQUIRE(w);
    CHECK_INT(httpx_jsonw_array_begin(w), HTTPX_OK);
    CHECK_INT(httpx_jsonw_number(w, z), HTTPX_OK);
    CHECK_INT(httpx_jsonw_number(w, 0.0), HTTPX_OK);
    CHECK_INT(httpx_jsonw_array_end(w), HTTPX_OK);
    t = httpx_jsonw_text(w);
    REQUIRE(t);
    CHECK_STR(t, "[-0.0,0]");
    v = httpx_json_parse(t, strlen(t), NULL);
    REQUIRE(v);
    back = httpx_json_number(httpx_json_at(v, 0));
    CHECK(back == 0 && 1 / back < 0);
    httpx_json_free(v);
    httpx_jsonw_free(w);
}

TEST(jsonw_misuse_is_an_error_that_sticks) {
    httpx_jsonw *w;
    w = httpx_jsonw_new();
    httpx_jsonw_object_begin(w);
    CHECK_INT(httpx_jsonw_string(w, "v"), HTTPX_ERR_INVALID_ARGUMENT);       /* value where a key is due */
    CHECK(strstr(httpx_jsonw_error_message(w), "member name is due") != NULL);
    CHECK_INT(httpx_jsonw_key(w, "k"), HTTPX_ERR_INVALID_ARGUMENT);          /* sticks */
    CHECK(httpx_jsonw_text(w) == NULL);
    httpx_jsonw_free(w);

    w = httpx_jsonw_new();
    httpx_jsonw_array_begin(w);
    CHECK_INT(httpx_jsonw_key(w, "k"), HTTPX_ERR_INVALID_ARGUMENT);
    httpx_jsonw_free(w);

    w = httpx_jsonw_new();
    httpx_jsonw_array_begin(w);
    CHECK_INT(httpx_jsonw_object_end(w), HTTPX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(httpx_jsonw_error_message(w), "no object open") != NULL);
    httpx_jsonw_free(w);

    w = httpx_jsonw_new();
    httpx_jsonw_array_begin(w);
    httpx_jsonw_array_begin(w);
    httpx_jsonw_array_end(w);
    CHECK(httpx_jsonw_text(w) == NULL);                                     /* unbalanced */
    CHECK(strstr(httpx_jsonw_error_message(w), "unbalanced: 1 object or array is still open") != NULL);
    httpx_jsonw_free(w);

    w = httpx_jsonw_new();
    httpx_jsonw_object_begin(w);
    httpx_jsonw_key(w, "a");
    CHECK_INT(httpx_jsonw_key(w, "b"), HTTPX_ERR_INVALID_ARGUMENT);
    httpx_jsonw_free(w);

    w = httpx_jsonw_new();
    httpx_jsonw_object_begin(w);
    httpx_jsonw_key(w, "a");
    CHECK_INT(httpx_jsonw_object_end(w), HTTPX_ERR_INVALID_ARGUMENT);       /* a name without a value */
    httpx_jsonw_free(w);

    w = httpx_jsonw_new();
    httpx_jsonw_null(w);
    CHECK_INT(httpx_jsonw_null(w), HTTPX_ERR_INVALID_ARGUMENT);              /* a second root */
    httpx_jsonw_free(w);

    w = httpx_jsonw_new();
    CHECK(httpx_jsonw_text(w) == NULL);                                     /* nothing written */
    httpx_jsonw_free(w);

    w = httpx_jsonw_new();
    CHECK_INT(httpx_jsonw_string(w, "bad \xC3\x28 utf8"), HTTPX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(httpx_jsonw_error_message(w), "invalid UTF-8 at byte 4") != NULL);
    CHECK(httpx_jsonw_text(w) == NULL);
    httpx_jsonw_free(w);

    w = httpx_jsonw_new();
    CHECK_INT(httpx_jsonw_number(w, 1.0 / 0.0), HTTPX_ERR_INVALID_ARGUMENT);
    httpx_jsonw_free(w);
    w = httpx_jsonw_new();
    CHECK_INT(httpx_jsonw_raw(w, "{\"a\":}"), HTTPX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(httpx_jsonw_error_message(w), "not JSON") != NULL);
    httpx_jsonw_free(w);

    {   /* depth */
        int i;
        w = httpx_jsonw_new();
        for (i = 0; i < 512; i++) httpx_jsonw_array_begin(w);
        CHECK_INT(httpx_jsonw_array_begin(w), HTTPX_ERR_INVALID_ARGUMENT);
        httpx_jsonw_free(w);
    }
    /* a NULL writer (what httpx_jsonw_new gives when out of memory) */
    CHECK_INT(httpx_jsonw_object_begin(NULL), HTTPX_ERR_NOMEM);
    CHECK_INT(httpx_jsonw_string(NULL, "x"), HTTPX_ERR_NOMEM);
    CHECK(httpx_jsonw_text(NULL) == NULL);
    CHECK_STR(httpx_jsonw_error_message(NULL), "out of memory");
    httpx_jsonw_free(NULL);
}

TEST(json_printf) {
    char *s = httpx_json_printf("{\"name\": %s, \"age\": %d, \"admin\": %b, \"score\": %g, \"none\": %s, "
                                "\"big\": %lld, \"u\": %u, \"z\": %zu, \"l\": %ld, \"raw\": %j, \"pct\": \"100%%\"}",
                                "Ada \"the\" \\ \n \xC3\xA9", 36, 1, 0.25, (const char *)NULL,
                                (long long)INT64_MIN, 4000000000u, (size_t)7, -5L, "[1,2]");
    httpx_json_value *v;
    REQUIRE(s);
    CHECK_STR(s, "{\"name\": \"Ada \\\"the\\\" \\\\ \\n \xC3\xA9\", \"age\": 36, \"admin\": true, \"score\": 0.25, "
                 "\"none\": null, \"big\": -9223372036854775808, \"u\": 4000000000, \"z\": 7, \"l\": -5, "
                 "\"raw\": [1,2], \"pct\": \"100%\"}");
    v = httpx_json_parse(s, strlen(s), NULL);
    CHECK_STR(httpx_json_string(httpx_json_get(v, "name")), "Ada \"the\" \\ \n \xC3\xA9");
    httpx_json_free(v);
    httpx_json_printf_free(s);

    /* the result is checked: a format that is not JSON gives NULL */
    CHECK(httpx_json_printf("{\"a\": %d", 1) == NULL);
    CHECK(httpx_json_printf("[%s]", "bad \xFF") == NULL);
    CHECK(httpx_json_printf("[%q]") == NULL);
    CHECK(httpx_json_printf("[%f]", 0.0 / 0.0) == NULL);
    CHECK(httpx_json_printf("") == NULL);
    CHECK(httpx_json_printf(NULL) == NULL);
    s = httpx_json_printf("%s", "x");
    CHECK_STR(s, "\"x\"");
    httpx_json_printf_free(s);
}

static char *tj_vprintf(httpx_json_error *err, const char *fmt, ...) {
    va_list ap;
    char *s;
    va_start(ap, fmt);
    s = httpx_json_vprintf(err, fmt, ap);
    va_end(ap);
    return s;
}

TEST(json_vprintf_errors) {
    httpx_json_error err;
    CHECK(tj_vprintf(&err, "{\"a\": %d", 1) == NULL);
    CHECK_INT(err.code, HTTPX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "not JSON: expected ',' or '}' at byte 7") != NULL);
    CHECK_INT(err.offset, 7);
    CHECK(tj_vprintf(&err, "[%q]") == NULL);
    CHECK(strstr(err.message, "unknown conversion '%q]'") != NULL);
    CHECK(tj_vprintf(&err, "[%s]", "\xC0\xAF") == NULL);
    CHECK(strstr(err.message, "invalid UTF-8") != NULL);
    CHECK(tj_vprintf(&err, "[%g]", 1e308 * 10) == NULL);
    CHECK(strstr(err.message, "NaN or infinity") != NULL);
}

/* ---- the response ---- */

static httpx_response *tj_response(const char *body, const char *content_type) {
    httpx__response *r = httpx__response_new();
    if (!r) return NULL;
    r->pub.content = (char *)body;
    r->pub.content_length = strlen(body);
    r->pub.status_code = 200;
    if (content_type) httpx__headers_add_raw(&r->headers, "Content-Type", 12, content_type, strlen(content_type));
    return &r->pub;
}

TEST(json_of_a_response_is_cached_and_owned) {
    httpx_response *r = tj_response("{\"items\": [{\"name\": \"ada\"}]}", "application/json");
    const httpx_json_value *a, *b;
    REQUIRE(r);
    CHECK_INT(httpx_json_error_of(r)->code, HTTPX_OK);
    a = httpx_json(r);
    b = httpx_json(r);
    CHECK(a != NULL && a == b);
    CHECK_STR(httpx_json_string(httpx_json_path(a, "items[0].name")), "ada");
    CHECK_INT(httpx_json_error_of(r)->code, HTTPX_OK);
    httpx_response_free(r);     /* frees the tree: ASan/valgrind would see a leak */

    r = tj_response("{\"items\": [}", NULL);
    REQUIRE(r);
    CHECK(httpx_json(r) == NULL);
    CHECK(httpx_json(r) == NULL);
    CHECK_INT(httpx_json_error_of(r)->code, HTTPX_ERR_DECODING);
    CHECK_INT(httpx_json_error_of(r)->offset, 11);
    CHECK(strstr(httpx_json_error_of(r)->message, "expected a value at byte 11") != NULL);
    httpx_response_free(r);

    r = tj_response("", NULL);
    REQUIRE(r);
    r->error = HTTPX_ERR_CONNECT;
    r->error_message = "connection refused";
    CHECK(httpx_json(r) == NULL);
    CHECK_INT(httpx_json_error_of(r)->code, HTTPX_ERR_CONNECT);
    CHECK(strstr(httpx_json_error_of(r)->message, "connection refused") != NULL);
    httpx_response_free(r);
    CHECK(httpx_json(NULL) == NULL);
    CHECK_INT(httpx_json_error_of(NULL)->code, HTTPX_ERR_NOMEM);
}

TEST(json_from_a_server) {
    httpx_response *r = httpx_get(fx_rogue_at("/json"), NULL);
    const httpx_json_value *v;
    REQUIRE(r);
    REQUIRE(r->error == HTTPX_OK);
    v = httpx_json(r);
    CHECK_STR(httpx_json_string(httpx_json_get(v, "hello")), "world");
    CHECK_INT(httpx_json_int(httpx_json_get(v, "n"), NULL), 1);
    CHECK_INT(httpx_json_int(httpx_json_path(v, "list[2]"), NULL), 3);
    httpx_response_free(r);
}

TEST(json_post_a_built_body) {
    char *body = httpx_json_printf("{\"q\": %s}", "caf\xC3\xA9 \"x\"");
    httpx_response *r;
    REQUIRE(body);
    r = httpx_post(fx_rogue_at("/echo"), &(httpx_opts){ .json = body });
    REQUIRE(r);
    CHECK_INT(r->error, HTTPX_OK);
    CHECK(strstr(r->content, "application/json") != NULL);
    CHECK(strstr(r->content, "\r\n\r\n{\"q\": \"caf\xC3\xA9 \\\"x\\\"\"}") != NULL);
    httpx_response_free(r);
    httpx_json_printf_free(body);
}

/* Every prefix of every valid suite file, as an exact-size buffer: ASan
   catches any read past the end, and a cut document is an error, never a
   crash. (A prefix may still be valid JSON, e.g. "12" of "123".) */
TEST(json_every_prefix_is_safe) {
    char dir[512], path[1024];
    DIR *d;
    struct dirent *ent;
    int files = 0;
    snprintf(dir, sizeof dir, "%s/json-testsuite/test_parsing", test_data_dir());
    d = opendir(dir);
    REQUIRE(d != NULL);
    while ((ent = readdir(d)) != NULL) {
        size_t len, k;
        char *text;
        if (ent->d_name[0] != 'y' && ent->d_name[0] != 'i') continue;
        snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
        text = test_read_file(path, &len);
        if (!text) continue;
        files++;
        for (k = 0; k < len; k++) {
            httpx_json_error err;
            httpx_json_value *v = tj_parse_n(text, k, &err);
            if (!v && (err.code == HTTPX_OK || err.offset > k)) test_fail(__FILE__, __LINE__, "%s[0..%zu)", ent->d_name, k);
            httpx_json_free(v);
        }
        free(text);
    }
    closedir(d);
    CHECK(files > 100);
}
