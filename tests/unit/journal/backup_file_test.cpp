#include "journal/backup_file.h"

#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>

namespace fs = std::filesystem;
using rc::Result;
using rc::journal::write_backup_file;

namespace {

class BackupFile : public ::testing::Test {
protected:
    void SetUp() override
    {
        dir = fs::temp_directory_path() / ("rc-backup-file-" + std::to_string(::getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    void TearDown() override { fs::remove_all(dir); }

    std::size_t files_in_dir() const { return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator {})); }

    fs::path dir;
};

Result<void> write_text(fs::path const& path, std::string const& text)
{
    std::ofstream(path) << text;
    return {};
}

}

TEST_F(BackupFile, AWrittenBackupIsRenamedIntoPlaceAndLeavesNoTemporaryFile)
{
    fs::path seen;
    auto written = write_backup_file(dir / "journal.db", [&](fs::path const& partial) {
        seen = partial;
        EXPECT_EQ(partial.parent_path(), dir) << "beside the destination, so the rename stays on one file system";
        EXPECT_FALSE(fs::exists(dir / "journal.db")) << "the destination appears only when complete";
        return write_text(partial, "all of it");
    });
    ASSERT_TRUE(written) << written.error().message;
    EXPECT_TRUE(fs::exists(dir / "journal.db"));
    EXPECT_FALSE(fs::exists(seen));
    EXPECT_EQ(files_in_dir(), 1u);
}

TEST_F(BackupFile, AnExistingFileIsNeverOverwrittenAndNothingIsWritten)
{
    (void)write_text(dir / "journal.db", "the user's own file");
    bool called = false;
    auto written = write_backup_file(dir / "journal.db", [&](fs::path const&) {
        called = true;
        return Result<void> {};
    });
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().code, rc::ErrorCode::Conflict);
    EXPECT_NE(written.error().message.find("never overwrites"), std::string::npos) << written.error().message;
    EXPECT_FALSE(called);
    std::ifstream in(dir / "journal.db");
    std::string kept((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(kept, "the user's own file");
}

TEST_F(BackupFile, AMissingFolderIsNamedInTheMessage)
{
    auto written = write_backup_file(dir / "no-such-folder" / "journal.db", [](fs::path const&) { return Result<void> {}; });
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().code, rc::ErrorCode::Io);
    EXPECT_NE(written.error().message.find("does not exist"), std::string::npos) << written.error().message;
}

TEST_F(BackupFile, AFailedWriteLeavesNeitherTheBackupNorItsTemporaryFile)
{
    auto written = write_backup_file(dir / "journal.db", [&](fs::path const& partial) -> Result<void> {
        (void)write_text(partial, "half of it");
        return rc::Error::io("the disk is full");
    });
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().message, "the disk is full");
    EXPECT_EQ(files_in_dir(), 0u);
}

TEST_F(BackupFile, ADestinationThatAppearsWhileWritingIsLeftAlone)
{
    auto written = write_backup_file(dir / "journal.db", [&](fs::path const& partial) {
        (void)write_text(dir / "journal.db", "written by someone else meanwhile");
        return write_text(partial, "the backup");
    });
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().code, rc::ErrorCode::Conflict);
    EXPECT_EQ(files_in_dir(), 1u) << "the other file stays, the temporary one goes";
}
