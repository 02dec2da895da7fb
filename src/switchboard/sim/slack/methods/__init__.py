"""The simulated Web API methods, by the name clients call them (``/api/chat.postMessage``)."""

from collections.abc import Mapping
from types import MappingProxyType

from .call import FileLinks, Method, MethodCall
from .chat import delete_message, post_message, update_message
from .conversations import (
    conversation_history,
    conversation_info,
    create_conversation,
    invite_to_conversation,
    join_conversation,
    list_conversations,
    set_topic,
)
from .files import complete_upload, get_upload_url, receive_upload
from .reactions import add_reaction
from .users import check_authentication, lookup_user_by_email, user_info

WEB_API_METHODS: Mapping[str, Method] = MappingProxyType(
    {
        "auth.test": check_authentication,
        "chat.postMessage": post_message,
        "chat.update": update_message,
        "chat.delete": delete_message,
        "reactions.add": add_reaction,
        "conversations.list": list_conversations,
        "conversations.create": create_conversation,
        "conversations.invite": invite_to_conversation,
        "conversations.setTopic": set_topic,
        "conversations.join": join_conversation,
        "conversations.info": conversation_info,
        "conversations.history": conversation_history,
        "users.info": user_info,
        "users.lookupByEmail": lookup_user_by_email,
        "files.getUploadURLExternal": get_upload_url,
        "files.completeUploadExternal": complete_upload,
    }
)

__all__ = ["WEB_API_METHODS", "FileLinks", "Method", "MethodCall", "receive_upload"]
